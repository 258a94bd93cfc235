// What moving between Terraform and reconcile needs to know per resource type,
// beyond the schema both share (reconcile's resource types carry Terraform's
// names and attribute names): the id the provider's import takes, the
// attributes a configuration draft leaves out, and for writing a Terraform
// state, the AWS provider's schema version and the values its own import
// records that reconcile's schema does not have.
#pragma once

#include <string>
#include <vector>

#include "migrate/terraform_state.h"
#include "reconcile/value.h"

namespace reconcile::migrate {

struct TerraformTypeInfo {
  std::string type;
  // Terraform AWS provider 5.x's schema version of the type (state pull).
  int terraform_schema_version = 0;
  // The import id from the Terraform attributes; null: the `id` attribute.
  std::string (*import_id)(const Value& attributes) = nullptr;
  // Optional-and-computed attributes that AWS derives from others: a draft
  // that set them would fight the attributes they come from.
  std::vector<std::string> draft_omit;
  // Attributes Terraform's provider records at create (its defaults) that
  // reconcile's schema lacks; a Terraform state written without them plans
  // an in-place update.
  ValueMap terraform_defaults;
};

// The entry for `type` (a plain default entry for types not listed).
const TerraformTypeInfo& TerraformType(const std::string& type);

// The id reconcile's import of `type` takes, from Terraform's attributes ("" when
// they lack it).
std::string TerraformImportId(const std::string& type, const Value& attributes);

// The providers whose resources reconcile adopts: hashicorp/aws, random, local.
bool IsAdoptableProvider(const TerraformProvider& provider);
// How an adopted object is read: through the provider's import of its id and
// a read (AWS), by a read of what Terraform recorded (local_file: the file),
// or taken as recorded (random_*: no remote object, the values are the object).
enum class AdoptionRead : unsigned char { kImportAndRead, kRead, kAsRecorded };
AdoptionRead HowToRead(const std::string& type);

}  // namespace reconcile::migrate
