// Glob patterns as fileset() reads them (Terraform's doublestar rules):
// `*` any characters but "/", `?` one character but "/", `**` as a whole
// path segment any number of segments, `[abc]` / `[a-z]` / `[^a-z]` a class,
// `{one,two}` alternatives, `\` quotes the next character.
#pragma once

#include <string>
#include <string_view>

namespace reconcile::config {

// Whether `pattern` is well formed; on failure *error says why.
bool ValidGlob(std::string_view pattern, std::string* error);

// Whether the slash-separated relative `path` matches `pattern`.
bool GlobMatch(std::string_view pattern, std::string_view path);

// The leading segments of `pattern` that hold no wildcard ("a/b" of
// "a/b/*.txt"), where a search can start.
std::string GlobStaticPrefix(std::string_view pattern);

}  // namespace reconcile::config
