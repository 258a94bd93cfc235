// Adopting a Terraform state: read it under Terraform's lock, decide per
// instance whether reconcile can manage it, read each adoptable object
// through its provider's import and (batched) read exactly as a refresh
// would, show the result, and record it in the workspace's state.
#include "engine/terraform_import.h"

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "backends/s3/s3_backend.h"
#include "encryption/encrypting_backend.h"
#include "engine/schema_conform.h"
#include "migrate/config_draft.h"
#include "migrate/terraform_source.h"
#include "migrate/terraform_state.h"
#include "migrate/terraform_types.h"

namespace reconcile::engine {

namespace {

using migrate::TerraformInstance;
using migrate::TerraformResource;

// Runs fn(i) for i in [0, n) on up to `parallelism` threads.
void ParallelFor(std::size_t n, int parallelism, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  std::size_t threads =
      std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, parallelism)));
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

// One Terraform object reconcile will manage.
struct Adoption {
  const TerraformResource* resource = nullptr;
  const TerraformInstance* instance = nullptr;
  ResourceAddress address;
  std::string key;  // provider key
  Provider* provider = nullptr;
  const ResourceSchema* schema = nullptr;
  Value seed;   // the Terraform attributes in reconcile's schema, overlaid with the import's state
  Value state;  // what the provider read (null: gone)
  Diagnostics diags;
};

std::string AddressText(const TerraformResource& r, const TerraformInstance& i) {
  std::string text = r.module.empty() ? "" : r.module + ".";
  if (r.mode == "data") text += "data.";
  return text + r.type + "." + r.name + i.key.ToString();
}

// Sorts the Terraform state's instances into what is adopted and what is
// skipped (with why).
class Triage {
 public:
  Triage(const Operation& op, TerraformImport* result) : op_(op), result_(result) {}

  std::vector<Adoption> Run(const migrate::TerraformState& tf) {
    std::vector<Adoption> out;
    for (const TerraformResource& r : tf.resources) {
      for (const TerraformInstance& i : r.instances) {
        Adoption a;
        std::string reason = Check(r, i, &a);
        if (reason.empty()) {
          a.resource = &r;
          a.instance = &i;
          out.push_back(std::move(a));
        } else {
          result_->skipped.push_back({AddressText(r, i), r.type, ObjectIdOf(i), reason});
        }
      }
    }
    return out;
  }
  // Providers that failed to start (their resources are not skipped quietly).
  const Diagnostics& start_errors() const { return start_errors_; }

 private:
  static std::string ObjectIdOf(const TerraformInstance& i) {
    const Value* id = i.attributes.Find("id");
    return id != nullptr && id->is_string() ? id->AsString() : "";
  }

  std::string Check(const TerraformResource& r, const TerraformInstance& i, Adoption* a) {
    if (r.mode == "data") return "data source (the configuration's data block reads it again)";
    migrate::TerraformProvider provider;
    if (!migrate::ParseTerraformProvider(r.provider, &provider))
      return "unrecognised provider address " + r.provider;
    if (!migrate::IsAdoptableProvider(provider))
      return "provider " + provider.hostname + "/" + provider.namespace_ + "/" + provider.type +
             " (reconcile has aws, random and local)";
    std::string error;
    if (!migrate::InstanceAddress(r, i, &a->address, &error)) return error;
    if (!i.deposed.empty())
      return "deposed object " + i.deposed +
             " of a create_before_destroy replacement Terraform did not "
             "finish (let Terraform finish it first)";
    a->key = provider.Key();
    Diagnostics local;
    a->schema = op_.providers->SchemaFor(a->key, r.type, false, local);
    if (a->schema == nullptr) {
      if (op_.providers->Started(a->key, local) == nullptr) {
        start_errors_.Append(local);
        return "provider \"" + a->key + "\" did not start";
      }
      return "type not supported by reconcile's " + provider.type + " provider";
    }
    if (migrate::HowToRead(r.type) == migrate::AdoptionRead::kImportAndRead &&
        migrate::TerraformImportId(r.type, i.attributes).empty())
      return "the Terraform state has no id for it";
    return "";
  }

  const Operation& op_;
  TerraformImport* result_;
  Diagnostics start_errors_;
};

// The Terraform attributes in reconcile's schema, sensitive paths marked.
Value SchemaShaped(const ResourceSchema& schema, const TerraformInstance& i) {
  Value v = NormalizeState(schema, i.attributes);
  MarkPaths(v, i.sensitive_paths);
  return v;
}

// Seeds every adoption (the Terraform attributes, with the provider's import
// of its id over them), then reads them, batched per provider and type as a
// refresh does (random values are taken as recorded).
Diagnostics ReadObjects(const Operation& op, std::vector<Adoption>& adoptions) {
  Diagnostics diags;
  std::mutex mutex;
  for (Adoption& a : adoptions) {
    a.provider = op.providers->Configured(a.key, *op.context, diags);
    if (diags.HasErrors()) return diags;
  }
  ParallelFor(adoptions.size(), op.parallelism, [&](std::size_t n) {
    Adoption& a = adoptions[n];
    a.seed = SchemaShaped(*a.schema, *a.instance);
    migrate::AdoptionRead how = migrate::HowToRead(a.resource->type);
    if (how == migrate::AdoptionRead::kAsRecorded) a.state = a.seed;
    if (how != migrate::AdoptionRead::kImportAndRead) return;
    std::string address = a.address.ToString();
    ImportResponse imported = a.provider->ImportResource(
        {a.resource->type, address,
         migrate::TerraformImportId(a.resource->type, a.instance->attributes)});
    a.diags.Append(imported.diagnostics);
    if (imported.state.is_map())
      for (const auto& [k, v] : imported.state.AsMap()) a.seed.Set(k, v);
  });
  std::map<std::pair<std::string, std::string>, std::vector<Adoption*>> batches;
  for (Adoption& a : adoptions) {
    TagDiagnostics(a.diags, a.address.ToString());
    diags.Append(a.diags);
    if (migrate::HowToRead(a.resource->type) != migrate::AdoptionRead::kAsRecorded)
      batches[{a.key, a.resource->type}].push_back(&a);
  }
  if (diags.HasErrors()) return diags;
  std::vector<std::vector<Adoption*>> work;
  for (auto& [k, batch] : batches) work.push_back(std::move(batch));
  ParallelFor(work.size(), op.parallelism, [&](std::size_t n) {
    std::vector<Adoption*>& batch = work[n];
    std::vector<ReadRequest> requests;
    for (Adoption* a : batch)
      requests.push_back({a->resource->type, a->address.ToString(), a->seed});
    op.events->Message("Reading " + std::to_string(batch.size()) + " " +
                       batch.front()->resource->type + "...");
    std::vector<ReadResponse> responses = batch.front()->provider->ReadResources(requests);
    std::lock_guard<std::mutex> lock(mutex);
    for (std::size_t j = 0; j < batch.size(); ++j) {
      Adoption& a = *batch[j];
      ReadResponse r = j < responses.size() ? responses[j] : ReadResponse{};
      if (j >= responses.size()) r.diagnostics.Error("Provider returned too few read results", "");
      TagDiagnostics(r.diagnostics, a.address.ToString());
      diags.Append(r.diagnostics);
      if (!r.new_state.is_null()) {
        a.state = NormalizeState(*a.schema, r.new_state);
        MarkPaths(a.state, a.instance->sensitive_paths);
      }
    }
  });
  return diags;
}

ResourceInstanceState Recorded(const Adoption& a) {
  ResourceInstanceState r;
  r.address = a.address.ToString();
  r.mode = "managed";
  r.type = a.resource->type;
  r.provider = a.key;
  r.attributes = a.state;
  r.schema_version = a.schema->version;
  r.tainted = a.instance->tainted;
  r.create_before_destroy = a.instance->create_before_destroy;
  for (const std::string& d : a.instance->dependencies)
    if (!d.starts_with("data.") && d.find(".data.") == std::string::npos)
      r.dependencies.push_back(d);
  return r;
}

std::string DraftOf(const std::vector<Adoption>& adoptions, const migrate::TerraformState& tf) {
  std::vector<migrate::DraftInstance> instances;
  for (const Adoption& a : adoptions) {
    if (a.state.is_null()) continue;
    instances.push_back({a.address, a.schema, a.state,
                         a.key == ProviderNameForType(a.resource->type) ? "" : a.key,
                         a.instance->create_before_destroy, Recorded(a).dependencies});
  }
  std::vector<migrate::DraftOutput> outputs;
  for (const auto& [name, output] : tf.outputs)
    outputs.push_back({name, output.value, output.sensitive});
  return migrate::DraftConfiguration(instances, outputs);
}

// The Terraform source options from the stack's backend and the engine's.
migrate::TerraformSourceOptions SourceOptions(Backend* backend, const EngineOptions& engine_options,
                                              const std::string& workspace,
                                              const TerraformImportOptions& options) {
  migrate::TerraformSourceOptions source;
  source.source = options.source;
  source.workspace = workspace;
  source.lock_table = options.lock_table;
  source.lockfile = options.lockfile;
  source.lock = engine_options.lock;
  source.lock_timeout = engine_options.lock_timeout;
  if (auto* encrypting = dynamic_cast<encryption::EncryptingBackend*>(backend)) backend = encrypting->inner();
  if (auto* s3_backend = dynamic_cast<s3::S3Backend*>(backend)) {
    source.client = s3_backend->client();
    if (source.lock_table.empty() && !source.lockfile &&
        s3_backend->settings().lock == s3::LockKind::kDynamoDb)
      source.lock_table = s3_backend->settings().lock_table;
  }
  return source;
}

// The workspace's addresses among those to adopt (an error listing them, or none).
Diagnostics CheckAddressesFree(const State& recorded, const std::vector<Adoption>& adoptions,
                               const std::string& workspace) {
  Diagnostics diags;
  std::vector<std::string> taken;
  for (const Adoption& a : adoptions)
    if (recorded.resources.count(a.address.ToString())) taken.push_back(a.address.ToString());
  if (taken.empty()) return diags;
  std::string list;
  for (std::size_t i = 0; i < taken.size() && i < 10; ++i) list += "\n  " + taken[i];
  if (taken.size() > 10) list += "\n  (and " + std::to_string(taken.size() - 10) + " more)";
  diags.Error(
      "Workspace \"" + workspace + "\" already manages " + std::to_string(taken.size()) +
          " of the addresses in the Terraform state",
      "Nothing was imported. Already in reconcile's state:" + list +
          "\nImport into an empty workspace (`reconcile workspace new NAME`), or remove them "
          "first (`reconcile state rm`).");
  return diags;
}

// Everything after the Terraform state is read, while its lock is held.
Diagnostics Adopt(const Operation& op, StateStore& store, const std::string& workspace,
                  const migrate::TerraformSource& source, const TerraformImportOptions& options,
                  TerraformImport* result) {
  migrate::TerraformState tf;
  Diagnostics diags = migrate::ParseTerraformState(source.document(), source.location(), &tf);
  if (diags.HasErrors()) return diags;
  result->terraform_version = tf.terraform_version;
  Triage triage(op, result);
  std::vector<Adoption> adoptions = triage.Run(tf);
  diags.Append(triage.start_errors());
  if (!diags.HasErrors()) diags.Append(CheckAddressesFree(store.Snapshot(), adoptions, workspace));
  if (!diags.HasErrors()) diags.Append(ReadObjects(op, adoptions));
  if (diags.HasErrors()) return diags;

  for (const Adoption& a : adoptions) {
    std::string address = a.address.ToString();
    if (a.state.is_null())
      result->skipped.push_back(
          {address, a.resource->type,
           migrate::TerraformImportId(a.resource->type, a.instance->attributes),
           "the object no longer exists (deleted outside Terraform)"});
    else
      result->imported.push_back({address, a.resource->type, ObjectId(a.state), ""});
  }
  for (const auto& [name, output] : tf.outputs) result->outputs.push_back(name);
  if (options.draft_config) result->config_draft = DraftOf(adoptions, tf);
  if (options.confirm && !options.confirm(*result)) return diags;

  store.Update([&](State& s) {
    for (const Adoption& a : adoptions)
      if (!a.state.is_null()) s.resources[a.address.ToString()] = Recorded(a);
    for (const auto& [name, output] : tf.outputs)
      s.outputs[name] = {output.value, output.sensitive};
  });
  diags.Append(store.WriteNow());
  result->written = !diags.HasErrors();
  return diags;
}

}  // namespace

Diagnostics ImportTerraform(const Operation& op, StateStore& store, Backend* backend,
                            const EngineOptions& engine_options, const std::string& workspace,
                            const TerraformImportOptions& options, TerraformImport* result) {
  *result = TerraformImport{};
  std::unique_ptr<migrate::TerraformSource> source;
  op.events->Message("Reading the Terraform state...");
  Diagnostics diags = migrate::TerraformSource::Open(
      SourceOptions(backend, engine_options, workspace, options), &source);
  if (diags.HasErrors()) return diags;
  result->location = source->location();
  result->locks = source->locks();
  diags.Append(Adopt(op, store, workspace, *source, options, result));
  diags.Append(source->Release());
  return diags;
}

}  // namespace reconcile::engine
