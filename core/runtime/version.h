#pragma once
// The version of uvis: project(VERSION) in CMakeLists.txt, plus the git commit of a checkout.

#include <string>

namespace uvis {

std::string versionNumber();  // "0.2.0"
std::string gitCommit();      // "1888bb6a2c", or empty outside a checkout
std::string versionString();  // "0.2.0 (git 1888bb6a2c)" or "0.2.0"

}  // namespace uvis
