#pragma once
// The child-process model check the session tests hand their sessions: `uvis-cli validate-model`,
// the check the application's hidden `--check-model` runs too (tst_main_window and the other
// window tests use the application's own). The sessions' handling of a check — its verdict, its
// time limit, a later open superseding it — is what these tests test, and the sanitizer build
// then needs no GUI program.

#include "core/services/sessions/model_guard.h"

namespace uvis::test {

inline ValidatorCommand cliChecker() { return {UVIS_CLI, {"validate-model"}}; }

}  // namespace uvis::test
