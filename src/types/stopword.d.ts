declare module "stopword" {
  /** English stop words. */
  export const eng: string[];
  /** Spanish stop words. */
  export const spa: string[];
}
