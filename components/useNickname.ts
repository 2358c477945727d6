'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { NICKNAME_STORAGE_KEY } from '@/lib/nickname';

const listeners = new Set<() => void>();

/** The saved nickname, read now (not a render's snapshot, which is '' while hydrating). */
export function readSavedNickname(): string {
  try {
    return window.localStorage.getItem(NICKNAME_STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

/** The saved nickname ('' when none), shared by every component that shows or edits it. */
export function useNickname(): [string, (name: string) => void] {
  const nickname = useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    readSavedNickname,
    () => '',
  );
  const save = useCallback((name: string) => {
    try {
      window.localStorage.setItem(NICKNAME_STORAGE_KEY, name);
    } catch {
      // Not kept in private mode; still used for this visit through the listeners below.
    }
    listeners.forEach((fn) => fn());
  }, []);
  return [nickname, save];
}
