# A uvis program is a front executable and a work library (app/common/work_library.h): the
# front parses the command line and answers --help and --version before anything heavy is
# loaded; the work library, with LibTorch, OpenCV and Qt, is loaded when a command runs.
#
#   uvis_add_program(NAME FRONT <sources> [FRONT_LINK <libraries>] WORK <sources> LINK <work libraries>
#                    [PRECHECK <sources> PRECHECK_LINK <libraries>] [DEFINITIONS <defs>])
#
# FRONT_LINK may name only libraries without LibTorch, OpenCV or Qt (uvis_types); the test
# fronts_load_nothing_heavy checks what a front loads.
#
# The library goes to <libdir>/uvis, in the build tree as installed, so the front finds it at the
# same place relative to its bin/ folder in both.
file(RELATIVE_PATH UVIS_WORK_DIR_FROM_BIN ${CMAKE_INSTALL_FULL_BINDIR} ${CMAKE_INSTALL_FULL_LIBDIR}/uvis)
set(UVIS_WORK_BUILD_DIR ${PROJECT_BINARY_DIR}/${CMAKE_INSTALL_LIBDIR}/uvis)

# What every front links: CLI11, the version, the loader — nothing that initialises at start-up.
add_library(uvis_front STATIC ${PROJECT_SOURCE_DIR}/app/common/work_library.cpp)
target_compile_definitions(uvis_front PRIVATE UVIS_WORK_DIR="${UVIS_WORK_DIR_FROM_BIN}")
target_link_libraries(uvis_front PUBLIC uvis_app_common ${CMAKE_DL_LIBS} PRIVATE uvis_warnings)

# A library the front loads (MODULE, in the work folder, symbols hidden but its entry).
function(uvis_add_program_part target)
    cmake_parse_arguments(P "" "" "SOURCES;LINK;DEFINITIONS" ${ARGN})
    add_library(${target} MODULE ${P_SOURCES})
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${UVIS_WORK_BUILD_DIR}
                                               CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
    target_link_libraries(${target} PRIVATE ${P_LINK} uvis_app_common uvis_warnings)
    target_compile_definitions(${target} PRIVATE ${P_DEFINITIONS})
    # A symbol the library leaves undefined is a link error here, not a failure when it is loaded.
    if(NOT UVIS_SANITIZE)  # a sanitizer's runtime comes with the program that loads the library
        target_link_options(${target} PRIVATE -Wl,--no-undefined)
    endif()
    install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/uvis)
endfunction()

function(uvis_add_program name)
    cmake_parse_arguments(P "" "" "FRONT;FRONT_LINK;WORK;LINK;DEFINITIONS;PRECHECK;PRECHECK_LINK" ${ARGN})
    uvis_add_program_part(${name}-work SOURCES ${P_WORK} LINK ${P_LINK} DEFINITIONS ${P_DEFINITIONS})

    add_executable(${name} ${P_FRONT})
    target_link_libraries(${name} PRIVATE uvis_front ${P_FRONT_LINK} uvis_warnings)
    # Building the program builds what it loads.
    add_dependencies(${name} ${name}-work)

    # The precheck (app/common/work_library.h, runPrecheck) must not need LibTorch: the fronts
    # test checks what it links.
    if(P_PRECHECK)
        uvis_add_program_part(${name}-precheck SOURCES ${P_PRECHECK} LINK ${P_PRECHECK_LINK} DEFINITIONS ${P_DEFINITIONS})
        add_dependencies(${name} ${name}-precheck)
    endif()
endfunction()
