import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { AppProviders } from './app/app-providers';
import { AppRoutes } from './app/app-routes';
import { createQueryClient } from './app/query-client';
import { StartFailure } from './app/start-failure';
import { loadAppConfig, setAppConfig } from './config/app-config';

const rootElement = document.getElementById('root');
if (rootElement === null) throw new Error('index.html has no #root element');
const root = createRoot(rootElement);

loadAppConfig().then(
  (config) => {
    setAppConfig(config);
    root.render(
      <StrictMode>
        <AppProviders queryClient={createQueryClient()}>
          <BrowserRouter>
            <AppRoutes />
          </BrowserRouter>
        </AppProviders>
      </StrictMode>,
    );
  },
  (error: unknown) => root.render(<StartFailure error={error} />),
);
