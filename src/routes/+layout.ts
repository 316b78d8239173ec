// Everything about the patient lives in IndexedDB on the phone, so pages render there only.
export const ssr = false;
