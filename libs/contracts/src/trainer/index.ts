// The trainer's contract (package.json exports it as ./trainer): its JSON Schemas' validators and the
// TypeScript types generated from them. Node only (it reads the schema files), so not in the main entry
// the web app bundles.
export * from './contract-schemas';
export type * from './generated/evaluation-report';
export type * from './generated/prediction';
export type * from './generated/trainer-events';
