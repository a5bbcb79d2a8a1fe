import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connectApi } from './api/connect.js';
import { App } from './components/App.js';

const { api, shell } = connectApi();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App api={api} shell={shell} />
  </StrictMode>,
);
