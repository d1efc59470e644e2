#pragma once
// What a caught exception says, in words for a message: one rule for every catch in uvis.
// LibTorch's errors lose their C++ backtrace (a user reads the message, not LibTorch's stack);
// anything that is not a std::exception — a malformed archive can make LibTorch throw anything —
// is "an unknown error". Public: no LibTorch types.

#include <exception>
#include <string>

namespace uvis {

// Call inside a catch block (the default is the exception being handled).
std::string describeException(std::exception_ptr error = std::current_exception());

}  // namespace uvis
