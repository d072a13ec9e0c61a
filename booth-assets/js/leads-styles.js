// leads-styles.js: loads css/leads.css (the leads, analytics and business-card styles) once,
// from whichever of their modules mounts first, so the pages need no extra <link>.

export function useLeadsStyles() {
  if (document.getElementById('leads-css')) return;
  document.head.append(Object.assign(document.createElement('link'), { id: 'leads-css', rel: 'stylesheet', href: 'css/leads.css' }));
}
