# UVIS_SANITIZE=address,undefined or thread: every target of this build folder is compiled and
# linked with those sanitizers (LibTorch, Qt and OpenCV stay uninstrumented: Debian's builds).
if(UVIS_SANITIZE)
    if(UVIS_SANITIZE MATCHES "thread" AND UVIS_SANITIZE MATCHES "address")
        message(FATAL_ERROR "UVIS_SANITIZE: thread cannot be combined with address")
    endif()
    # -O1: the optimisation level the sanitizers' authors recommend; it also compiles
    # faster than the Release build's -O3. -g1: line tables only — all a report's stack trace
    # needs, and far cheaper to build than full debug information of the LibTorch templates.
    add_compile_options(-fsanitize=${UVIS_SANITIZE} -fno-omit-frame-pointer -g1 -O1)
    add_link_options(-fsanitize=${UVIS_SANITIZE})
    if(UVIS_SANITIZE MATCHES "undefined")
        # A report is a failure, not a line in a log that nobody reads.
        add_compile_options(-fno-sanitize-recover=undefined)
    endif()
    message(STATUS "uvis: sanitizers ${UVIS_SANITIZE}")
endif()
