// What other apps' tests may use to run the API in-process (package.json exports it as ./testing):
// the CLI's tests start it and sign in against it.
export { createApp } from './create-app';
export { AuthService } from './auth/auth.service';
export { actAs } from './auth/act-as';
export { startJobWorker } from './training/training-loop.fixture';
