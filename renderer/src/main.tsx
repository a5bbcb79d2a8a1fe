import './zod-csp.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect.js';
import { App } from './components/App.js';
import { setKeyMode } from './logic/shortcuts.js';

const { api, shell } = connectApi();
setKeyMode(shell);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} shell={shell} />
  </StrictMode>,
);
