// Compiled as the application's widgets are (no UVIS_*_INTERNALS defined): it must not compile.
#include "core/model/internal/model.h"
