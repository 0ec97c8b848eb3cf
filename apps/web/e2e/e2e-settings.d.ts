// Types of e2e-settings.js (plain JS: playwright.config and serve-platform.js both read it).
export const E2E_DATABASE: string;
export const API_PORT: number;
export const WORKER_HEALTH_PORT: number;
export const WEB_PORT: number;
export const ADMIN_EMAIL: string;
export const ADMIN_PASSWORD: string;
