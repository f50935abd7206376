System.Console.WriteLine("TaskPool quick start: coming with the core issue.");
