import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import { asProblem, type ApiProblem } from '../api/problem';

export interface Loaded<T> {
  data: T | undefined;
  problem: ApiProblem | undefined;
  loading: boolean;
  reload(): void;
  /** Replace the data locally (after a mutation answered the new state). */
  setData(update: T | ((current: T | undefined) => T)): void;
}

/** Loads `load()` when `deps` change; an answer from an outdated load is dropped. */
export function useApi<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Loaded<T> {
  const [data, setData] = useState<T>();
  const [problem, setProblem] = useState<ApiProblem>();
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setProblem(undefined);
    loadRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (error) => {
        if (controller.signal.aborted) return;
        setProblem(asProblem(error));
        setLoading(false);
      },
    );
    return () => controller.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, problem, loading, reload, setData: setData as Loaded<T>['setData'] };
}

/** Runs a mutation, keeping its pending state and problem for the form that started it. */
export function useAction<A extends unknown[], R>(action: (...args: A) => Promise<R>) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<ApiProblem>();
  const run = useCallback(
    async (...args: A): Promise<R | undefined> => {
      setPending(true);
      setProblem(undefined);
      try {
        return await action(...args);
      } catch (error) {
        setProblem(asProblem(error));
        return undefined;
      } finally {
        setPending(false);
      }
    },
    [action],
  );
  return { run, pending, problem, clearProblem: () => setProblem(undefined) };
}
