/** Path routing under /partner-center/ with the History API (the service answers index.html for them). */
import { useEffect, useState } from 'preact/hooks';

export const BASE = '/partner-center';

type Route = { path: string; params: URLSearchParams };

export function currentRoute(): Route {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) || '/' : '/';
  return { path: path.replace(/\/+$/, '') || '/', params: new URLSearchParams(location.search) };
}

const listeners = new Set<() => void>();

export function navigate(path: string): void {
  history.pushState(null, '', `${BASE}${path}`);
  listeners.forEach((listener) => listener());
}

export function useRoute(): Route {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const update = () => setRoute(currentRoute());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
