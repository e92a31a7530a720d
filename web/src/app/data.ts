import type { MeReply } from '@ward/contracts';
import { QueryClient, useQuery } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';

/**
 * The one data client: every request goes through `api` (the device proof on each, R-SESS-4). Query
 * results live in memory only (no persister: no PHI in localStorage or sessionStorage) and are
 * dropped at sign-out.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, e) => !(e instanceof ApiError && e.status < 500) && count < 1,
      refetchOnWindowFocus: false,
      staleTime: 30_000,
      gcTime: 5 * 60_000,
    },
  },
});

export function useMe() {
  return useQuery({ queryKey: ['me'], queryFn: () => api<MeReply>('GET', '/v1/me'), staleTime: 10_000 });
}

/** A GET through the data client; `key` names the resource (ids only). */
export function useGet<T>(key: readonly unknown[], path: string | null, headers?: Record<string, string>) {
  return useQuery({ queryKey: key, queryFn: () => api<T>('GET', path!, undefined, { stepUp: false, headers }), enabled: path !== null });
}

/**
 * Sign-out: the server session ends, every cached answer is dropped, the screen is emptied, and the
 * sign-in page replaces this entry, so Back shows no PHI (R-DATA-4).
 */
export async function signOut(end: () => Promise<string>): Promise<void> {
  let next = '/sign-in';
  try {
    next = await end();
  } finally {
    queryClient.clear();
    document.getElementById('root')?.replaceChildren();
    location.replace(next);
  }
}
