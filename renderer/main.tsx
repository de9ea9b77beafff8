// The base stylesheet first: the feature stylesheets the components import refine it.
import './styles/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { resolveApi } from './lib/api.js';
import { createStores } from './store/stores.js';

const stores = createStores(resolveApi());
// Ask for the library, the status and the first rows now, before React's first render.
stores.start();
const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root');
createRoot(container).render(
  <StrictMode>
    <App stores={stores} />
  </StrictMode>,
);
