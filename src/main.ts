import { mount } from 'svelte';
import App from './App.svelte';
import { beginStartup } from './app/startup.ts';
import './app.css';

// The start-up pack's read begins now, in the scene worker, before the map exists.
beginStartup();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');
mount(App, { target });
