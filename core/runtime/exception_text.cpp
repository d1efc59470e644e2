#include "core/runtime/exception_text.h"

#include <c10/util/Exception.h>

namespace uvis {

std::string describeException(std::exception_ptr error) {
    if (!error) return "no error";
    try {
        std::rethrow_exception(error);
    } catch (const c10::Error& e) {
        return e.what_without_backtrace();
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an unknown error";
    }
}

}  // namespace uvis
