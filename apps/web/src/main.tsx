import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
// The base styles first: each area's stylesheet (imported by its pages) builds on them.
import './styles.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
