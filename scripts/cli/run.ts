/** `npm run cli -- run`: the dispatcher loads cli/<command>.ts; the command lives in run-plan.ts. */
export { command } from './run-plan.ts';
