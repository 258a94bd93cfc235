// What one AWS resource type or data source is to the provider: its schema
// and the functions the provider dispatches to. A resource file under
// resources/ defines one function returning a ResourceType (named exactly as
// the type, in namespace `resources`); the registry is generated from the file
// names (see CMakeLists.txt). Every function reports failures through the
// context's diagnostics and never throws.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "reconcile/provider.h"
#include "resource_context.h"
#include "tags.h"

namespace reconcile::aws_provider {

// Short names for schema tables.
inline constexpr AttributeType kString = AttributeType::kString;
inline constexpr AttributeType kNumber = AttributeType::kNumber;
inline constexpr AttributeType kBool = AttributeType::kBool;
inline constexpr AttributeType kList = AttributeType::kList;
inline constexpr AttributeType kSet = AttributeType::kSet;
inline constexpr AttributeType kMap = AttributeType::kMap;

// Creates the object; returns at least {"id": ...} (more when the create
// response already holds it). The provider then reads the full state back,
// unless the create returned the whole state and said so
// (ctx.set_state_complete()).
using CreateFunction = std::function<Value(ResourceContext& ctx, const Value& planned)>;
// Reads the object named by `current` (at least "id"); null when it is gone.
using ReadFunction = std::function<Value(ResourceContext& ctx, const Value& current)>;
// Changes the object in place from `prior` to `planned` (tags excepted when
// the type declares update_tags: the provider applies those).
using UpdateFunction =
    std::function<void(ResourceContext& ctx, const Value& prior, const Value& planned)>;
// Deletes the object and waits until it is gone; an object already gone is success.
using DeleteFunction = std::function<void(ResourceContext& ctx, const Value& prior)>;
// The state to read from for an import id (default: {"id": id}).
using ImportFunction = std::function<Value(ResourceContext& ctx, const std::string& id)>;
// Finds the object an interrupted create made, by what identifies it (its
// ownership tags, the create's client token or generated name, or its
// natural key) and only when it is this instance's (OwnedByThisInstance in
// ownership.h); returns at least {"id": ...}, or null when there is none.
using AdoptFunction = std::function<Value(ResourceContext& ctx, const Value& planned)>;
// Reads many objects of the type in few calls; one response per request, in order.
using BatchReadFunction =
    std::function<std::vector<ReadResponse>(BatchContext& ctx, const std::vector<ReadRequest>& requests)>;
// Refines a plan after the provider's generic refinement (tags_all).
using PlanFunction =
    std::function<void(ResourceContext& ctx, const PlanRequest& request, PlanResponse& response)>;
// Applies tag changes to an existing object (state holds its id / arn).
using TagUpdateFunction =
    std::function<void(ResourceContext& ctx, const Value& state, const TagChanges& changes)>;

struct ResourceType {
  std::string name;  // set by the registry from the file name
  ResourceSchema schema;  // "id" is added when missing; "tags"/"tags_all" when update_tags is set
  CreateFunction create;
  ReadFunction read;
  UpdateFunction update;        // may be null when every settable attribute forces replacement
  DeleteFunction remove;
  ImportFunction import;        // optional
  AdoptFunction adopt;          // optional
  BatchReadFunction read_batch; // optional: the provider reads one by one otherwise
  PlanFunction plan;            // optional
  TagUpdateFunction update_tags;  // set for types whose tags are a `tags` map
};

// A type of its schema, create, update (null when every settable attribute
// forces replacement) and delete; its reads and optional functions are set on
// the result.
inline ResourceType MakeType(ResourceSchema schema, CreateFunction create, UpdateFunction update,
                             DeleteFunction remove) {
  ResourceType type;
  type.schema = std::move(schema);
  type.create = std::move(create);
  type.update = std::move(update);
  type.remove = std::move(remove);
  return type;
}

// A data source: its schema and a read of the configuration.
using DataReadFunction = std::function<Value(ResourceContext& ctx, const Value& config)>;

struct DataSourceType {
  std::string name;
  ResourceSchema schema;
  DataReadFunction read;
};

// Every resource type and data source the provider offers, from the generated
// table (one entry per resources/aws_*.cc and data/aws_*.cc file).
std::vector<ResourceType> AllResourceTypes();
std::vector<DataSourceType> AllDataSourceTypes();

}  // namespace reconcile::aws_provider
