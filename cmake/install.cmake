# Installation like any desktop program, and a Debian package:
#   cmake --install build --prefix P    P/bin/{uvis,uvis-cli,uvis-train,uvis-bench},
#                                       P/share/uvis/resources (demo model and ensemble, samples),
#                                       P/share/applications/uvis.desktop, the MIME type of .uvis
#                                       models, the icon (SVG + PNG sizes) in hicolor
#   cpack --config build/CPackConfig.cmake -G DEB    uvis_<version>_<arch>.deb, dependencies
#                                       from dpkg-shlibdeps
# The installed programs find share/uvis/resources beside their bin folder (resource_paths.cpp).

set(UVIS_PROGRAMS uvis-bench)  # and their work libraries (cmake/program.cmake)
if(NOT UVIS_ENGINE_ONLY)
    list(APPEND UVIS_PROGRAMS uvis uvis-cli uvis-train)
endif()
install(TARGETS ${UVIS_PROGRAMS} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

if(NOT UVIS_ENGINE_ONLY)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/models/
            DESTINATION ${CMAKE_INSTALL_DATADIR}/uvis/resources/models)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/samples
            DESTINATION ${CMAKE_INSTALL_DATADIR}/uvis/resources)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/uvis.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/uvis-mime.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages RENAME uvis.xml)
    install(FILES ${PROJECT_SOURCE_DIR}/resources/desktop/uvis.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)

    # PNG sizes of the icon, rendered from the SVG at build time.
    find_package(Qt6 REQUIRED COMPONENTS Svg)
    add_executable(render_icon ${PROJECT_SOURCE_DIR}/tools/render_icon.cpp)
    target_link_libraries(render_icon PRIVATE Qt6::Gui Qt6::Svg)
    set_target_properties(render_icon PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tools)
    set(UVIS_ICON_SIZES 16 24 32 48 64 128 256)
    set(UVIS_ICON_DIR ${PROJECT_BINARY_DIR}/icons)
    set(icon_outputs)
    foreach(size ${UVIS_ICON_SIZES})
        list(APPEND icon_outputs ${UVIS_ICON_DIR}/${size}x${size}/uvis.png)
        install(FILES ${UVIS_ICON_DIR}/${size}x${size}/uvis.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
    add_custom_command(OUTPUT ${icon_outputs}
        COMMAND render_icon ${PROJECT_SOURCE_DIR}/resources/desktop/uvis.svg ${UVIS_ICON_DIR} ${UVIS_ICON_SIZES}
        DEPENDS render_icon ${PROJECT_SOURCE_DIR}/resources/desktop/uvis.svg
        COMMENT "Rendering the uvis icon")
    add_custom_target(uvis_icons ALL DEPENDS ${icon_outputs})
endif()

set(CPACK_PACKAGE_NAME uvis)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "uvis developers <uvis@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # uvis_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)   # Depends: from the Debian runtime libraries we link
# ... plus what is loaded at run time and so invisible to dpkg-shlibdeps: the Qt platform plugins
# (xcb, wayland, offscreen) without which the window cannot open.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "${PROJECT_DESCRIPTION}
 uvis runs a Bayesian depth and semantic-segmentation network with Monte-Carlo dropout and shows
 the input, depth, segmentation, aleatoric and epistemic uncertainty side by side. It includes
 a bundled demo model and samples, the command-line tool uvis-cli, uvis-train and uvis-bench.")
set(CPACK_GENERATOR DEB)
include(CPack)
