"""Search service of the Kennisbank Ambtelijk Vakmanschap."""
