/** Where each kind of job file lives in the BlobStore; one place, so deletion cannot miss one. */
/**
 * The original document, from the moment the edge stages it until the job is deleted: the workers
 * read its pages, the exports that embed it (searchable PDF) read it after.
 */
export const sourceKey = (uuid: string): string => `sources/${uuid}`;
export const pageContentKey = (uuid: string, index: number): string => `results/${uuid}/page-${index}.json`;
/** The processed page image the web app shows under the boxes, made on first request. */
export const pageImageKey = (uuid: string, index: number): string => `images/${uuid}/page-${index}.webp`;
export const exportKey = (uuid: string, name: string): string => `exports/${uuid}/${name}`;
/** `uploads/`: where versions before 2026-12 staged uploads, moved to `sources/` once read. */
export const jobBlobPrefixes = (uuid: string): string[] => [`uploads/${uuid}`, `sources/${uuid}`, `results/${uuid}`, `exports/${uuid}`, `images/${uuid}`];
