// `@tsgi/interface/static`: the static-files middleware. Apart from the other middleware
// because it reads the disk through node:fs, which edge runtimes do not have.
export { staticFiles, type StaticFilesOptions } from './static-files.js';
export { FileBody, type FilePart } from './file-body.js';
export { resolveStaticPath, type DotfilePolicy, type StaticPath } from './resolve-static-path.js';
export { servedFileResponse, type ServedFileResponse } from './served-file-response.js';
export { contentTypeFor } from './content-type.js';
export { parseRange, formatRange, resolveRanges, formatContentRange, MAX_RANGES, type ByteRange, type RangeSpec } from './byte-ranges.js';
