// Applies the saved theme before first paint (no flash). A file rather than an inline
// script so the strict Content-Security-Policy (script-src 'self') allows it.
(() => {
  let t = null;
  try {
    t = localStorage.getItem('vigil-theme');
  } catch {
    // Storage disabled: keep the system theme.
  }
  if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
})();
