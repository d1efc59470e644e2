#pragma once
// SIGINT and SIGTERM stop a long run between MC chunks instead of killing it: an image's result
// is complete or absent, a video keeps the frames done so far (marked "complete": false). One flag for every command, read by the
// engine's callbacks on the pipeline's threads.

namespace uvis::cli {

// From now on SIGINT and SIGTERM set the flag (and are not fatal).
void stopOnSignals();
// Whether one arrived.
bool stopRequested();

}  // namespace uvis::cli
