# The exercise engine (issue: self-checking exercises). Empty until that area lands.
