# The warnings every uvis target compiles with, from one INTERFACE target that each links PRIVATE.
# UVIS_WERROR turns them into errors (CI turns it on; .ci/run sets it through the environment,
# so the README's own commands stay the same for a user).
if(DEFINED ENV{UVIS_WERROR})
    set(uvis_werror_default $ENV{UVIS_WERROR})
else()
    set(uvis_werror_default OFF)
endif()
option(UVIS_WERROR "Treat compiler warnings as errors" ${uvis_werror_default})
add_library(uvis_warnings INTERFACE)
target_compile_options(uvis_warnings INTERFACE -Wall -Wextra $<$<BOOL:${UVIS_WERROR}>:-Werror>)
