/** The app's sections, in navigation order, with what each is for. */
export const SECTIONS = [
  { href: '/catalog', label: 'Catalog', purpose: 'Find any slice among the imported CT collections.' },
  { href: '/annotate', label: 'Annotate', purpose: 'Draw lesion masks in the browser, never losing a stroke.' },
  { href: '/review', label: 'Review', purpose: 'Accept or reject submitted masks.' },
  { href: '/releases', label: 'Releases', purpose: 'Cut immutable, patient-safe dataset releases.' },
  { href: '/runs', label: 'Runs', purpose: 'Train and evaluate JCS on a release, on GPU workers.' },
  { href: '/models', label: 'Models', purpose: 'Registered models, evaluations and predictions.' },
] as const;
