import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { defaultClient } from './api/client';
import { ThemeRoot } from './shell/ThemeRoot';
import './styles.css';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ThemeRoot>
      <App client={defaultClient()} />
    </ThemeRoot>
  </StrictMode>,
);
