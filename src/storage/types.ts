// Structural storage type: any unstorage instance fits (1.x, 2.x, Nitro's useStorage()), so hosts
// are not tied to our copy of unstorage.

/** The storage the proxy needs, typed structurally: any unstorage instance fits (1.x, 2.x, Nitro's `useStorage()`). */
export interface StorageLike {
  getItem<T = unknown>(key: string, opts?: Record<string, unknown>): Promise<T | null>;
  setItem(key: string, value: unknown, opts?: Record<string, unknown>): Promise<void>;
  removeItem(key: string, opts?: Record<string, unknown>): Promise<void>;
  getKeys(base?: string, opts?: Record<string, unknown>): Promise<string[]>;
  hasItem?(key: string, opts?: Record<string, unknown>): Promise<boolean>;
  dispose?(): Promise<void>;
}
