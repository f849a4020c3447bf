//! How a table is ordered: by which of its columns, which way. Each sortable table names its
//! columns with an enum of its own (next to the code that sorts it), so that a column crosses
//! the bridge by name and a sort can only ask for a column its table has.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RowOrder<C> {
    pub column: C,
    pub descending: bool,
}

impl<C> RowOrder<C> {
    pub fn new(column: C, descending: bool) -> Self {
        RowOrder { column, descending }
    }
}
