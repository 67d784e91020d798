import { useEffect } from 'react';

const APP_NAME = 'Rock of Ages';

/** Names the screen in the browser tab and history: "All Rocks · Rock of Ages", or the app's name alone. */
export function useDocumentTitle(screen?: string): void {
  useEffect(() => {
    document.title = screen === undefined ? APP_NAME : `${screen} · ${APP_NAME}`;
  }, [screen]);
}
