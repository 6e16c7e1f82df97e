# The training engine (issue: step 3 lab). Empty until that area lands.
