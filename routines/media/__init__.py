"""Pictures of the exercises: the line drawings made for the library, and the pictures and videos staff upload."""
