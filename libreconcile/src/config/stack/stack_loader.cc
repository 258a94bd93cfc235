// LoadStack: reads a directory's *.toml files, decodes them into the root
// module and loads the modules it calls, recursively.
#include "config/stack/stack_loader.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "config/stack/module_decoder.h"
#include "config/stack/source_reader.h"
#include "config/toml/toml_tree.h"

namespace reconcile::config {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxModuleDepth = 16;

class StackLoader {
 public:
  StackLoader(SourceReader& reader, std::string root_dir, Diagnostics& diags)
      : reader_(reader), root_dir_(std::move(root_dir)), diags_(diags) {}

  std::shared_ptr<Module> LoadRoot() {
    auto root = std::make_shared<Module>();
    root->dir = root_dir_;
    if (!reader_.IsDirectory(root_dir_)) {
      diags_.Error("Stack directory \"" + root_dir_ + "\" does not exist",
                   "Run reconcile in a directory of *.toml files, or pass -C DIR.");
      return root;
    }
    if (reader_.ListTomlFiles(root_dir_).empty()) {
      diags_.Error("No stack files in \"" + root_dir_ + "\"",
                   "A stack is a directory of *.toml files (main.toml, variables.toml, ...).");
      return root;
    }
    LoadModule(*root, /*is_root=*/true, {root_dir_});
    if (root->stack_name.empty()) root->stack_name = fs::path(root_dir_).filename().string();
    return root;
  }

 private:
  // `ancestors` holds the directories of the modules being loaded above this one.
  void LoadModule(Module& module, bool is_root, std::vector<std::string> ancestors) {
    // Read the files in order, parse them in parallel (TOML parsing is a big
    // share of a big stack's load), and decode each in order as soon as it is
    // parsed: blocks, duplicates and diagnostics come out as with one thread,
    // and a file's TOML tree is freed once decoded, so only the trees waiting
    // for their turn are held at once.
    struct File {
      std::string display;
      std::string text;
      bool read = false;
      TomlDocument doc;
      Diagnostics diags;
      bool parsed = false;
      bool done = false;  // parse finished (guarded by `mutex`)
    };
    std::vector<File> files;
    for (const std::string& name : reader_.ListTomlFiles(module.dir)) {
      File& file = files.emplace_back();
      file.display = module.display_dir.empty() ? name : module.display_dir + "/" + name;
      file.read = reader_.ReadFile(module.dir + "/" + name, &file.text);
    }
    std::mutex mutex;
    std::condition_variable parsed;
    std::atomic<std::size_t> next{0};
    auto parse = [&] {
      for (std::size_t i = next++; i < files.size(); i = next++) {
        File& file = files[i];
        if (file.read) file.parsed = ParseTomlDocument(std::move(file.text), file.display, &file.doc, file.diags);
        {
          std::lock_guard<std::mutex> lock(mutex);
          file.done = true;
        }
        parsed.notify_all();
      }
    };
    // Workers parse; this thread decodes (and parses only when there is one file).
    std::size_t workers = std::min<std::size_t>(files.size(), std::max(1u, std::thread::hardware_concurrency()));
    std::vector<std::thread> pool;
    struct JoinAll {  // on every way out, decoding's exceptions included
      std::vector<std::thread>& threads;
      ~JoinAll() {
        for (std::thread& t : threads)
          if (t.joinable()) t.join();
      }
    } join_all{pool};
    for (std::size_t t = 0; t < workers && files.size() > 1; ++t) pool.emplace_back(parse);
    if (pool.empty()) parse();

    ModuleDecoder decoder(module, is_root, diags_);
    for (File& file : files) {
      {
        std::unique_lock<std::mutex> lock(mutex);
        parsed.wait(lock, [&] { return file.done; });
      }
      if (!file.read) {
        diags_.Error("Cannot read \"" + file.display + "\"", "Check that the file is readable.",
                     SourceRange{file.display});
        continue;
      }
      diags_.Append(file.diags);
      if (file.parsed) decoder.Decode(file.doc);
      file.doc = TomlDocument{};  // expressions keep the text they need, not the tree
    }
    for (auto& [name, call] : module.module_calls) LoadChild(module, call, ancestors);
  }

  void LoadChild(const Module& parent, ModuleCall& call, std::vector<std::string> ancestors) {
    if (call.source.empty()) return;  // reported while decoding
    const SourceRange& at = call.source_range.valid() ? call.source_range : call.range;
    if (call.source.rfind("./", 0) != 0 && call.source.rfind("../", 0) != 0) {
      diags_.Error("Unsupported module source \"" + call.source + "\"",
                   "Modules are local directories; start the path with ./ or ../",
                   at);
      return;
    }
    std::string dir = (fs::path(parent.dir) / call.source).lexically_normal().string();
    while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
    std::string display = fs::path(dir).lexically_relative(root_dir_).string();
    if (display == ".") display.clear();
    if (!reader_.IsDirectory(dir)) {
      diags_.Error("Module source \"" + call.source + "\" does not exist",
                   "No directory at " + dir + ".", at);
      return;
    }
    if (reader_.ListTomlFiles(dir).empty()) {
      diags_.Error("Module source \"" + call.source + "\" has no .toml files",
                   "The directory " + dir + " holds no stack files.", at);
      return;
    }
    if (std::find(ancestors.begin(), ancestors.end(), dir) != ancestors.end()) {
      diags_.Error("Module cycle: module \"" + call.name + "\" calls \"" + call.source +
                       "\", which is already being loaded",
                   "A module may not call itself, directly or through other modules.", at);
      return;
    }
    if (ancestors.size() > kMaxModuleDepth) {
      diags_.Error("Modules nested too deeply at module \"" + call.name + "\"",
                   "Modules may be nested at most " + std::to_string(kMaxModuleDepth) + " deep.",
                   at);
      return;
    }
    auto child = std::make_shared<Module>();
    child->dir = dir;
    child->display_dir = display;
    child->path = parent.path;
    child->path.push_back(call.name);
    ancestors.push_back(dir);
    LoadModule(*child, /*is_root=*/false, std::move(ancestors));
    call.module = std::move(child);
  }

  SourceReader& reader_;
  std::string root_dir_;
  Diagnostics& diags_;
};

}  // namespace

Diagnostics LoadStackFrom(SourceReader& reader, const std::string& dir, Stack* out) {
  Diagnostics diags;
  std::string root = fs::path(dir).lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  out->dir = root;
  out->root = StackLoader(reader, root, diags).LoadRoot();
  return diags;
}

Diagnostics LoadStack(const std::string& dir, Stack* out) {
  std::error_code error;
  fs::path absolute = fs::absolute(dir, error);
  DiskSourceReader reader;
  return LoadStackFrom(reader, error ? dir : absolute.string(), out);
}

}  // namespace reconcile::config
