import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { queryClient } from './data.ts';
import './app.css';

// A page restored from the back/forward cache after a sign-out must not show what it showed: reload,
// and the server decides again (R-DATA-4).
addEventListener('pageshow', (e) => {
  if (e.persisted) location.reload();
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <App />
    </QueryClientProvider>
  </StrictMode>,
);
