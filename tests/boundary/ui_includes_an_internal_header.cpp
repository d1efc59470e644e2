// Compiled as the application's widgets are (no UVIS_*_INTERNALS defined): it must not compile.
// The engine's and the model's internal headers carry LibTorch types that the UI never sees.
#include "core/engine/internal/pass_sampler.h"
