import { useCallback, useEffect, useRef, useState } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';

/** A "Load more" list over a cursor-paged API route; `reset()` starts again from the first page. */
export function usePagedList<T>(
  loadPage: (cursor: string | undefined, signal: AbortSignal) => Promise<{ items: T[]; nextCursor?: string }>,
  deps: readonly unknown[],
) {
  const [items, setItems] = useState<T[]>([]);
  const [nextCursor, setNextCursor] = useState<string>();
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(loadPage);
  loadRef.current = loadPage;
  const controllerRef = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    const controller = new AbortController();
    controllerRef.current = controller;
    setLoading(true);
    setProblem(undefined);
    loadRef.current(undefined, controller.signal).then(
      (page) => {
        if (controller.signal.aborted) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setLoading(false);
      },
      (error) => {
        if (controller.signal.aborted) return;
        setItems([]);
        setNextCursor(undefined);
        setProblem(asProblem(error));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  const loadMore = useCallback(async () => {
    const controller = controllerRef.current;
    if (!nextCursor || !controller) return;
    setLoadingMore(true);
    setProblem(undefined);
    try {
      const page = await loadRef.current(nextCursor, controller.signal);
      if (controller.signal.aborted) return;
      setItems((current) => [...current, ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (error) {
      if (!controller.signal.aborted) setProblem(asProblem(error));
    } finally {
      if (!controller.signal.aborted) setLoadingMore(false);
    }
  }, [nextCursor]);

  const reset = useCallback(() => setGeneration((g) => g + 1), []);
  return { items, setItems, nextCursor, loading, loadingMore, problem, loadMore, reset };
}
