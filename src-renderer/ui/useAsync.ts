import { useCallback, useContext, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { t } from '../i18n';
import { ScreenShown } from '../shell/nav';

/** Loads data from the API (again whenever its screen is shown) and keeps the Vietnamese error text for the view. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const shown = useContext(ScreenShown);
  useEffect(() => {
    let live = true;
    load().then(
      (v) => live && (setData(v), setError(null)),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick, shown]);
  return { data, error, reload };
}

export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.vi : t('common.unknownError');
}
