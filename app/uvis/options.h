#pragma once
// What the application's front (main.cpp) parsed and its work library (work.cpp) runs with.

#include <string>

namespace uvis {

struct Options {
    std::string model, file, settingsFile, screenshot, windowSize, dock, checkModel, cacheDir;
    std::string compare, compareModel, compareMethod;  // a second configuration B
    int threads = 0;
    bool analyseVideo = false;
};

}  // namespace uvis
