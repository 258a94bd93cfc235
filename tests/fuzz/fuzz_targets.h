// The fuzz entry points: one function per input format, each taking raw
// bytes and feeding them to the code that reads that format in production.
// libFuzzer runs each as a target (fuzzer_main.cc, tests/fuzz/run.sh) and the
// regression test (regression_test.cc) replays the committed inputs through
// the same functions in the normal build. An entry point never fails on bad
// input; it aborts (FUZZ_CHECK) only when the code under test breaks one of
// its own promises, such as reading back exactly what it wrote.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace reconcile::fuzz {

// Stack files and expressions: loading, checking, variables, evaluation.
void FuzzStack(std::string_view input);
// A state document (ParseState), then its serialization read back.
void FuzzStateDocument(std::string_view input);
// The pending-operation journal (ParsePending), then read back.
void FuzzPendingJournal(std::string_view input);
// A saved plan file, rendered as text and JSON, then read back.
void FuzzPlanFile(std::string_view input);
// Plugin protocol lines: parsed with the nesting limit, decoded as every
// request and response, re-encoded and decoded again.
void FuzzWireMessage(std::string_view input);
// An AWS response body: the error parser for every protocol, the XML
// lookups, JSON credentials, query flattening.
void FuzzAwsResponse(std::string_view input);
// ~/.aws/config and ~/.aws/credentials text, parsed and loaded as profiles.
void FuzzAwsProfile(std::string_view input);

struct FuzzTarget {
  std::string_view name;  // the directory under corpus/ and regressions/
  void (*run)(std::string_view input);
};

// Every target, by name (fuzz_targets.cc).
const std::vector<FuzzTarget>& AllTargets();

// Aborts with `what` on stderr when `condition` is false.
inline void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz check failed: %s\n", what);
  std::abort();
}

}  // namespace reconcile::fuzz

#define FUZZ_CHECK(condition) ::reconcile::fuzz::Check((condition), #condition)
