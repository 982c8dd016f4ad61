import { beginStartup } from './app/startup.ts';

// The page's first script (vite.config.ts, earlyStart): small, so it runs while the main
// script still downloads, and the start-up pack's read begins in the scene worker at once.
beginStartup();
