// reconcile fmt [--check] [--diff] [DIR]: rewrite stack files in the
// canonical layout.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "reconcile/format.h"
#include "ui.h"

namespace reconcile::tool {

namespace {

namespace fs = std::filesystem;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// A unified diff of two texts (three lines of context), for --diff.
std::string UnifiedDiff(const std::string& path, const std::string& before,
                        const std::string& after) {
  std::vector<std::string> a = Lines(before);
  std::vector<std::string> b = Lines(after);
  // Longest common subsequence table, from the end.
  std::vector<std::vector<int>> lcs(a.size() + 1, std::vector<int>(b.size() + 1, 0));
  for (std::size_t i = a.size(); i-- > 0;)
    for (std::size_t j = b.size(); j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  struct Edit {
    char op;           // ' ', '-', '+'
    std::size_t a, b;  // line indexes before the edit
  };
  std::vector<Edit> edits;
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i] == b[j]) {
      edits.push_back({' ', i++, j++});
    } else if (i < a.size() && (j == b.size() || lcs[i + 1][j] >= lcs[i][j + 1])) {
      edits.push_back({'-', i++, j});
    } else {
      edits.push_back({'+', i, j++});
    }
  }
  std::string out = "--- " + path + "\n+++ " + path + "\n";
  constexpr std::size_t kContext = 3;
  for (std::size_t k = 0; k < edits.size();) {
    if (edits[k].op == ' ') {
      ++k;
      continue;
    }
    std::size_t start = k >= kContext ? k - kContext : 0;
    std::size_t end = k;
    // Extend while changes are closer than twice the context.
    while (end < edits.size()) {
      std::size_t next = end;
      while (next < edits.size() && edits[next].op == ' ') ++next;
      if (next == edits.size() || next - end > 2 * kContext) break;
      end = next;
      while (end < edits.size() && edits[end].op != ' ') ++end;
    }
    end = std::min(edits.size(), end + kContext);
    std::size_t a_count = 0;
    std::size_t b_count = 0;
    std::string body;
    for (std::size_t e = start; e < end; ++e) {
      const Edit& edit = edits[e];
      const std::string& line = edit.op == '+' ? b[edit.b] : a[edit.a];
      body += edit.op + line + "\n";
      a_count += edit.op != '+';
      b_count += edit.op != '-';
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", edits[start].a + 1, a_count, edits[start].b + 1,
                       b_count);
    out += body;
    k = end;
  }
  return out;
}

// The stack's *.toml files under `dir`, sorted, hidden directories skipped.
std::vector<fs::path> StackFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (it->is_directory() && !name.empty() && name[0] == '.') {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".toml") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class FmtCommand : public Command {
 public:
  void Setup(CLI::App& app) override {
    app.add_option("DIR", dir_, "The stack directory (default: the current one, or -C DIR)")
        ->type_name(kDirValue);
    app.add_flag("--check", check_,
                 "Change nothing; exit 3 when a file is not in the canonical layout (for CI)");
    app.add_flag("--diff", diff_, "Print what changes in each file as a unified diff");
    SetExamples(
        app, {
                 {"reconcile fmt", "Rewrite the stack's files; print the names of those changed"},
                 {"reconcile fmt --check --diff",
                  "In CI: show what is not formatted and exit 3 (0 when all is)"},
                 {"reconcile fmt modules/web", "Format one module's files"},
             });
  }

  int Run(const GlobalOptions& global) override {
    fs::path dir = fs::path(global.chdir) / dir_;
    if (!fs::is_directory(dir)) {
      PrintError(global, "No directory " + dir.string(),
                 "fmt formats the *.toml files of a stack directory.");
      return kExitError;
    }
    bool failed = false;
    bool unformatted = false;
    for (const fs::path& path : StackFiles(dir)) {
      std::string shown = fs::relative(path, global.chdir).string();
      std::ifstream in(path, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      std::string before = text.str();
      std::string after;
      Diagnostics diags = FormatStackFile(before, shown, &after);
      PrintDiagnostics(global, diags);
      if (diags.HasErrors()) {
        failed = true;
        continue;
      }
      if (after == before) continue;
      unformatted = true;
      fmt::print("{}\n", shown);
      if (diff_) fmt::print("{}", UnifiedDiff(shown, before, after));
      if (check_) continue;
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << after;
      if (!out.flush()) {
        PrintError(global, "Cannot write " + shown, "Check the file's permissions.");
        failed = true;
      }
    }
    if (failed) return kExitError;
    return check_ && unformatted ? kExitNotFormatted : kExitOk;
  }

 private:
  std::string dir_ = ".";
  bool check_ = false;
  bool diff_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeFmtCommand() { return std::make_unique<FmtCommand>(); }

}  // namespace reconcile::tool
