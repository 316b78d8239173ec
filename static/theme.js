try{var t=localStorage['aftercare.theme'];if(t)document.documentElement.dataset.theme=t}catch(e){}
