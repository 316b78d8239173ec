try{var t=localStorage['aftercare.theme'];if(t)for(var e of document.querySelectorAll('[data-scheme]'))e.media=e.dataset.scheme==t?'screen':'not all'}catch(e){}
