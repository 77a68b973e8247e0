/** Vite's `?inline` imports, used by the workerd tests to load binary fixtures as data URLs. */
declare module "*?inline" {
  const dataUrl: string;
  export default dataUrl;
}

/** Vite's `?raw` imports: the file as a UTF-8 string. */
declare module "*?raw" {
  const text: string;
  export default text;
}
