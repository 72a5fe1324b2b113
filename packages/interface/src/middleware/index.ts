// The standard middleware library (proxy headers, compression, static files, conditional
// GET, CORS, error pages, access log, limits, URL map) is exported from here.
export {};
